from django.dispatch import Signal

# Sent when an issued publication decision takes effect, with `decision` and `versions`: the versions it published
# or ended. Other apps react (reviews: a published simplification implements its approved proposal).
decision_applied = Signal()

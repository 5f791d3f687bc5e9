"""What the reviews tell the apps above them (docs/architecture.md: a lower app never imports a higher one).

`review_assigned(sender=Review, review, assignee, by)`: a form was given to a named officer (not a transition: its
state does not change); sent inside the transaction of the assignment, once per form."""

from django.dispatch import Signal

review_assigned = Signal()

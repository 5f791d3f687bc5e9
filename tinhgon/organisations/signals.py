from django.dispatch import Signal

# Sent inside the merge transaction once the sources have ended and the target exists, so that apps holding
# records owned by the sources (memberships, procedures...) reassign them to the target, one audit entry each.
# Arguments: sources (list of Organisation), target (Organisation), day (date the target takes over).
units_merged = Signal()

"""Telling people of hand-offs: one Notification per recipient, written in the transaction of the move; e-mail at
once (after the commit) for those who asked for it, else in the daily digest (mail.py)."""

from django.db import transaction

from tinhgon.accounts.models import NotifyBy
from tinhgon.audit import context as audit
from tinhgon.notifications import links, recipients
from tinhgon.notifications.models import Notification

# Where the reason of a move is kept, by the models that have one (first non-empty wins).
NOTE_FIELDS = ("return_reason", "review_comment", "return_comment", "decision_note", "assessment", "reason", "text")


def note_of(record) -> str:
    return next((value for f in NOTE_FIELDS if (value := getattr(record, f, "") or "")), "")


def notifications_create(
    *, record, kind: str, verb: str, acting: list, informed: list, actor=None, organisation_id=None
) -> list:
    """Tell `acting` (who acts next) and `informed` (who took part) about `record`, each person once and never the
    one who made the move. Returns the notifications written; those wanted at once are mailed after the commit."""
    actor = actor if actor is not None else audit.current_actor().user
    seen = {actor.pk} if actor is not None else set()
    common = {
        "kind": kind,
        "verb": verb,
        "title": str(record)[:500],
        "note": note_of(record),
        "url": links.page_of(record),
        "organisation_id": organisation_id or record.audit_scope_organisation_id(),
        "actor": actor,
    }
    made = []
    for for_action, people in ((True, acting), (False, informed)):
        for user in people:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            made.append(Notification(recipient=user, for_action=for_action, **common))
    Notification.objects.bulk_create(made)  # derived messages about an audited move: no entries of their own
    at_once = [n.pk for n in made if n.recipient.notify_by == NotifyBy.IMMEDIATE and n.recipient.email]
    if at_once:
        from tinhgon.notifications import mail

        transaction.on_commit(lambda: mail.send_at_once(at_once))
    return made


def tell_transition(record, transition) -> list:
    """After a move: who acts next, and who took part."""
    return notifications_create(
        record=record,
        kind=type(record).audit_code(transition.verb),
        verb=f"{transition.label} {links.noun_of(record)}",
        acting=recipients.next_actors(record, transition.permission),
        informed=recipients.participants(record, links.parts_of(record)),
    )

"""Where a notification leads: the page on which its recipient reads or acts on the record. Models are named by
their label so that this app reads the others without importing their views."""

from django.urls import reverse

PAGES = {
    "procedures.procedureversion": lambda v: reverse("procedures:detail", args=[v.procedure_id]),
    "procedures.publicationdecision": lambda d: reverse("procedures:decision", args=[d.pk]),
    "reviews.review": lambda r: reverse("reviews:review", args=[r.pk]),
    "reviews.approvaldecision": lambda d: reverse("reviews:approval", args=[d.pk]),
    "reviews.implementationitem": lambda i: reverse("reviews:implementation"),
    "plans.plan": lambda p: reverse("plans:plan", args=[p.pk]),
    "plans.extensionrequest": lambda e: reverse("plans:assignment", args=[e.assignment_id]),
    "plans.comment": lambda c: (
        reverse("plans:assignment", args=[c.assignment_id])
        if c.assignment_id
        else reverse("plans:task", args=[c.task_id])
    ),
    "reports.report": lambda r: reverse("reports:detail", args=[r.pk]),
    "quality.qualityprocess": lambda p: reverse("quality:process", args=[p.pk]),
    "quality.serviceindexscore": lambda s: reverse("quality:score", args=[s.pk]),
}

# How a record is named in a sentence, where its verbose name says more than the reader needs.
NOUNS = {
    "procedures.procedureversion": "thủ tục",
    "reviews.implementationitem": "việc thực thi phương án",
    "quality.serviceindexscore": "điểm Bộ chỉ số 766",
}


# The records a move carries with it, whose people are told of it too: a publication decision's procedures, an
# approval decision's review forms.
PARTS = {
    "procedures.publicationdecision": lambda d: [item.version for item in d.items.select_related("version")],
    "reviews.approvaldecision": lambda d: list(d.reviews.all()),
}


def parts_of(record) -> list:
    found = PARTS.get(record._meta.label_lower)
    return found(record) if found else []


def page_of(record) -> str:
    return PAGES[record._meta.label_lower](record)


def noun_of(record) -> str:
    return NOUNS.get(record._meta.label_lower, str(record._meta.verbose_name))

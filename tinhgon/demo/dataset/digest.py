"""A digest of the generated rows, to check that the same profile, seed and day give the same data.

Primary keys differ between databases and runs (sequences are not rolled back), so each key is written as its
offset from the smallest key of its table, and each foreign key as the offset in the table it points to: rows
written in the same order get the same offsets. Columns the database or Django fill with the clock are left out.
"""

import hashlib

from django.db import models

from tinhgon.accounts.models import Membership, User
from tinhgon.organisations.models import Organisation, OrganisationLink
from tinhgon.plans.models import Assignment, ExtensionRequest, Indicator, IndicatorValue, Plan, Task
from tinhgon.procedures.models import (
    DecisionItem,
    DossierItem,
    LegalBasis,
    Procedure,
    ProcedureForm,
    ProcedureVersion,
    PublicationDecision,
    Step,
)
from tinhgon.reports.models import Report
from tinhgon.reviews.models import (
    Answer,
    ApprovalDecision,
    CostParameterSet,
    CostRow,
    CostSheet,
    ImplementationItem,
    Proposal,
    Review,
    ReviewRound,
)

MODELS = [
    Organisation,
    OrganisationLink,
    User,
    Membership,
    Procedure,
    ProcedureVersion,
    Step,
    DossierItem,
    LegalBasis,
    ProcedureForm,
    PublicationDecision,
    DecisionItem,
    DecisionItem.ends.through,
    CostParameterSet,
    ReviewRound,
    ApprovalDecision,
    Review,
    Answer,
    Proposal,
    CostSheet,
    CostRow,
    ImplementationItem,
    Plan,
    Task,
    Task.executing.through,
    Assignment,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Report,
]


def _clocked(f) -> bool:
    if not isinstance(f, models.DateTimeField):
        return False
    return f.auto_now or f.auto_now_add or callable(f.default)


def digest() -> str:
    bases = {m: (m.objects.aggregate(low=models.Min("pk"))["low"] or 0) for m in MODELS}
    h = hashlib.sha256()
    for model in MODELS:
        fields = [f for f in model._meta.concrete_fields if not _clocked(f) and f.name != "last_login"]
        names = [f.attname for f in fields]
        offsets = [
            bases[model] if f.primary_key else bases.get(f.related_model, 0) if f.is_relation else None for f in fields
        ]
        h.update(model._meta.label.encode())
        for row in model.objects.order_by("pk").values_list(*names).iterator(chunk_size=5000):
            h.update(
                repr(
                    [v - o if o is not None and v is not None else v for v, o in zip(row, offsets, strict=True)]
                ).encode()
            )
    return h.hexdigest()

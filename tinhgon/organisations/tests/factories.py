from datetime import date

import factory

from tinhgon.organisations.models import Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị số {n}")
    kind = Organisation.Kind.DEPARTMENT
    valid_from = date(2020, 1, 1)

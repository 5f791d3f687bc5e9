from django import template

register = template.Library()


@register.filter
def can(policy, action: str) -> bool:
    """`{% if policy|can:"organisations.merge" %}`: may the user do this anywhere in their scope?"""
    return bool(policy) and policy.can_anywhere(action)

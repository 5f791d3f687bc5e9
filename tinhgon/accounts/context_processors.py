def acting(request):
    return {
        "acting_membership": getattr(request, "acting_membership", None),
        "my_memberships": getattr(request, "memberships", []),
        "policy": getattr(request, "policy", None),
    }

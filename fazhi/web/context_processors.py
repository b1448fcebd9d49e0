from fazhi.registers.registry import register_definitions


def navigation(request):
    """The registers shown in the top bar (every page needs them)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_registers": [{"code": d.code, "name": d.name} for d in register_definitions()]}

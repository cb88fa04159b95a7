"""JSON endpoints for cascading selects (children of a region / industry / registration type)."""
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import selectors


def _items(qs, code=lambda o: o.code):
    return JsonResponse({"items": [{"code": code(o), "name": o.name} for o in qs]})


@require_GET
def region_children(request):
    return _items(selectors.region_children(parent_code=request.GET.get("parent", "")))


@require_GET
def industry_children(request):
    return _items(selectors.industry_children(parent_code=request.GET.get("parent", "")), code=lambda o: o.full_code)


@require_GET
def registration_type_children(request):
    return _items(selectors.registration_type_children(parent_code=request.GET.get("parent", "")))

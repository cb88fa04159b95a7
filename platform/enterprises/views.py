"""Enterprise portal pages."""
from django.shortcuts import redirect, render


def home(request):
    """The portal's front door: a landing page for visitors, the enterprise home for its users."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        return redirect("/admin/")
    template = "enterprises/home.html" if user.is_authenticated else "enterprises/landing.html"
    return render(request, template)

"""Back office (Wagtail admin) pieces every admin page needs."""
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def behaviours_js():
    """data-confirm / data-autosubmit / data-width ... (static/js/behaviours.js): no inline handlers,
    so the admin pages run under the Content-Security-Policy."""
    return format_html('<script src="{}" defer></script>', static("js/behaviours.js"))

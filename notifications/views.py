from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def open_notification(request, pk):
    """Mark a notification read and go to its subject."""
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(notification)
    if notification.url:
        return redirect(notification.url)
    return redirect(
        "admin:notifications_notification_changelist" if request.user.is_staff else "portal:inbox"
    )


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure()):
        return redirect(target)  # a path on this site only: never another host
    return redirect(
        "admin:notifications_notification_changelist" if request.user.is_staff else "portal:inbox"
    )

from .selectors import unread_count


def inbox(request):
    """The unread count shown in the admin and portal headers (one COUNT, only for signed-in people)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user)}

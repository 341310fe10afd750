"""Writes about authorities, people, their roles and their grants."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from ..models import Authority, Institution, Region, User
from ..roles import ROLE_PERMISSIONS, Role
from ..selectors import OPERATOR_PERMISSION, forget_scope


def authority_ensure(*, kind: str, region: Region, name: str) -> tuple[Authority, bool]:
    return Authority.objects.get_or_create(kind=kind, region=region, defaults={"name": name})


@transaction.atomic
def roles_sync() -> None:
    """Make each role's group hold exactly the permissions declared for it (idempotent)."""
    for role, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, models_actions in apps.items():
            for model, actions in models_actions.items():
                codenames = [f"{action}_{model}" for action in actions]
                wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        permissions = list(Permission.objects.filter(wanted))
        if set(group.permissions.all()) != set(permissions):
            group.permissions.set(permissions)


@transaction.atomic
def staff_user_ensure(
    *, username: str, authority: Authority, role: Role, password: str | None = None, full_name: str = ""
) -> tuple[User, bool]:
    """A staff member of an authority in a role; existing users are left as they are."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"authority": authority, "is_staff": True, "first_name": full_name}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user, created


@transaction.atomic
def operator_grant(*, user: User, institution: Institution) -> None:
    """Let a person act for an institution in the portal."""
    assign_perm(f"registry.{OPERATOR_PERMISSION}", user, institution)
    forget_scope(user)


@transaction.atomic
def operator_revoke(*, user: User, institution: Institution) -> None:
    remove_perm(f"registry.{OPERATOR_PERMISSION}", user, institution)
    forget_scope(user)

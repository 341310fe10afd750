"""Writes for the registry: regions, authorities, people and their grants, roles."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from .models import Authority, Institution, Region, User
from .roles import ROLE_PERMISSIONS, Role
from .selectors import OPERATOR_PERMISSION


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str | None


@transaction.atomic
def regions_load(*, rows: Iterable[RegionRow]) -> tuple[int, int]:
    """Insert or rename regions, parents first. Returns (created, updated); unchanged rows cost nothing."""
    rows = sorted(rows, key=lambda r: ["province", "city", "county"].index(r.level))
    existing = {r.pk: r for r in Region.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        current = existing.get(row.code)
        if current is None:
            to_create.append(Region(code=row.code, name=row.name, level=row.level, parent_id=row.parent))
        elif (current.name, current.level, current.parent_id) != (row.name, row.level, row.parent):
            current.name, current.level, current.parent_id = row.name, row.level, row.parent
            to_update.append(current)
    for level in ("province", "city", "county"):
        Region.objects.bulk_create([r for r in to_create if r.level == level], batch_size=1000)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=1000)
    return len(to_create), len(to_update)


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


@transaction.atomic
def operator_revoke(*, user: User, institution: Institution) -> None:
    remove_perm(f"registry.{OPERATOR_PERMISSION}", user, institution)

"""The platform's periodic jobs live in django-celery-beat's tables, editable in the admin. On every
migrate the defaults from settings.PERIODIC_TASKS are added if missing; a schedule someone changed or
disabled is left as it is."""

from django.conf import settings
from django.db import transaction


def install_default_schedules(using="default", **kwargs) -> int:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = 0
    with transaction.atomic(using=using):
        for name, spec in settings.PERIODIC_TASKS.items():
            if PeriodicTask.objects.using(using).filter(name=name).exists():
                continue
            if "crontab" in spec:
                minute, hour, day_of_month, month_of_year, day_of_week = spec["crontab"].split()
                crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
                    minute=minute,
                    hour=hour,
                    day_of_month=day_of_month,
                    month_of_year=month_of_year,
                    day_of_week=day_of_week,
                    timezone=settings.TIME_ZONE,
                )
                schedule = {"crontab": crontab}
            else:
                interval, _ = IntervalSchedule.objects.using(using).get_or_create(
                    every=spec["every"], period=IntervalSchedule.SECONDS
                )
                schedule = {"interval": interval}
            PeriodicTask.objects.using(using).create(name=name, task=spec["task"], **schedule)
            created += 1
    return created

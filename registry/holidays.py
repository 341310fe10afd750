"""The preset holiday calendar: what the `chinesecalendar` package knows of the State Council's notices,
as CalendarDay rows. Used by the migration that presets the table and by `manage.py load_calendar`, which
adds the years a newer release of the package knows without touching days entered in the admin."""

import chinese_calendar

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def preset_days() -> list[tuple]:
    """(day, kind, name) for every holiday and every weekend day worked instead, oldest first."""
    days = [(day, "holiday", NAMES.get(name, name)) for day, name in chinese_calendar.holidays.items()]
    days += [
        (day, "workday", NAMES.get(name, name))
        for day, name in chinese_calendar.workdays.items()
        if day.weekday() >= 5 and name
    ]
    return sorted(days)


def load_preset(CalendarDay) -> int:
    """Add the preset days missing from the table; days already there (perhaps edited) are kept."""
    known = set(CalendarDay.objects.values_list("day", flat=True))
    rows = [
        CalendarDay(day=day, kind=kind, name=name[:40], source="package")
        for day, kind, name in preset_days()
        if day not in known
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    return len(rows)

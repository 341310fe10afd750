from django.utils.html import format_html, format_html_join


def check_table(checks: list[dict]) -> str:
    """A recognition's or an application's checks (as `subsidies.checks.described` gives them) as a table:
    each rule, passed / failed / cannot be checked, and the figures compared."""
    if not checks:
        return "—"
    return format_html(
        '<table class="checks"><tbody>{}</tbody></table>',
        format_html_join(
            "",
            '<tr class="check-{}"><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((c["result"], c["label"], c["mark"], c["detail"]) for c in checks),
        ),
    )

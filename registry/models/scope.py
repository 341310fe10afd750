from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """How a model reaches the jurisdiction and the institution that decide who may see a row.

    `region` is the lookup to the row's Region (a county for anything hanging off an institution);
    `institution` the lookup to its Institution, for operators who act for it. Either may be empty.
    `department` is the lookup to the authority kind of the department a row belongs to (an inspection,
    a rectification): staff of other inspecting departments do not see it; health staff see them all.
    `registry.selectors.visible` is the only reader of this.
    """

    region: str = ""
    institution: str = ""
    department: str = ""
    assigned: str = ""  # the lookup to the Authority a row is assigned to (a third-party assessment body's)

"""The SQL blocks of the v2 spec, read out of the spec document itself."""

import re
from pathlib import Path


def spec_schema_sql(spec: Path) -> str:
    """Every ```sql block of the spec that creates something, in document order."""
    blocks = re.findall(r"```sql\n(.*?)```", spec.read_text(encoding="utf-8"), re.S)
    return "\n".join(block.rstrip() + "\n" for block in blocks if "CREATE " in block)

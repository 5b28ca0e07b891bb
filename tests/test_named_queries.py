"""Every named query opens with a header and uses each parameter it declares."""

from __future__ import annotations

import re

import pytest

from partnership_kb import config, queries
from partnership_kb.errors import ConfigError

FILES = sorted((config.project_home() / "queries").glob("*.cypher"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_query_has_a_header_and_uses_its_parameters(path) -> None:
    query = queries.parse(path)
    assert query.name == path.stem
    assert query.purpose and query.returns and query.used_by
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("//"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used == set(query.params), f"declared {sorted(query.params)}, used {sorted(used)}"


def test_a_query_without_a_header_fails_naming_the_file(tmp_path) -> None:
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (n) RETURN n\n")
    with pytest.raises(ConfigError, match=r"bad.cypher: the header has no `// name:` line"):
        queries.parse(bad)

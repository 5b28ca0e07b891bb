"""docker-compose.yml is valid Compose (checked by the docker client; no engine needed)."""

from __future__ import annotations

import shutil
import subprocess

from partnership_kb import config


def compose_command() -> list[str]:
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True)
    if plugin.returncode == 0:
        return ["docker", "compose"]
    standalone = shutil.which("docker-compose")
    assert standalone, "neither `docker compose` nor docker-compose: run scripts/system-deps.sh"
    return [standalone]


def test_compose_file_is_accepted() -> None:
    home = config.project_home()
    result = subprocess.run([*compose_command(), "-f", str(home / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, cwd=home,
                            env={"NEO4J_PASSWORD": "compose-check", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "neo4j:5.26-community" in result.stdout
    assert "service_healthy" in result.stdout

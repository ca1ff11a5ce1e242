"""Writes the JSON Schemas of the published models, for readers who do not use Python.

Run `python -m schemas.jsonschema_export` after changing a model; a test fails while they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas import PUBLISHED_MODELS

JSON_DIR = Path(__file__).parent / "json"


def rendered_schemas() -> dict[str, str]:
    """File name -> JSON text, exactly as it must stand on disk."""
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
        + "\n"
        for name, model in PUBLISHED_MODELS.items()
    }


def main() -> int:
    JSON_DIR.mkdir(exist_ok=True)
    for filename, text in rendered_schemas().items():
        (JSON_DIR / filename).write_text(text, encoding="utf-8")
    print(f"wrote {len(PUBLISHED_MODELS)} schemas to {JSON_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

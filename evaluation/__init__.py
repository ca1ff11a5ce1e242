"""`newsflow eval STAGE --gold FILE`: each module here scores one stage against a gold file.

Every module exposes `evaluate(gold: Path, settings: StageSettings) -> dict` returning JSON-ready
numbers; the CLI prints them.
"""

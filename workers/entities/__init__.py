"""Entity stage: spaCy NER, a rule layer for news, and within-document clustering of names.

Public: `EntityStage` (the pipeline component), `extract_entities(doc)` (pure, for the quote
stage and tests), `entity_key` (the cross-document grouping key).
"""

from workers.entities.cluster import entity_key
from workers.entities.stage import VERSION, EntityStage, extract_entities, is_english

__all__ = ["VERSION", "EntityStage", "entity_key", "extract_entities", "is_english"]

"""Cleaning stage: news-grade main text from HTML and from noisy plain text."""

from workers.cleaning.article import EmptyArticleError, clean_article
from workers.cleaning.stage import CleaningStage

__all__ = ["CleaningStage", "EmptyArticleError", "clean_article"]

"""Capital-expenditure facts from Chinese financial news.

extract(text, published_at=..., article_id=..., title=...) -> Extraction
"""

from pipelines.extract.extractor import extract
from pipelines.extract.facts import CapexFact, Extraction, StatedGrowth

__all__ = ["CapexFact", "Extraction", "StatedGrowth", "extract"]

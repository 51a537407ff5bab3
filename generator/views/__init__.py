"""Plan every output of a build: its path, what decides its bytes (key), and how to make it.

Nothing is rendered here. A build compares each output's key with the manifest and only asks
for the context of outputs whose key changed, which is what makes an incremental build cheap.
"""

from .items import Item, Output, digest
from .plan import Planner

__all__ = ["Item", "Output", "Planner", "digest"]

"""stpgraph: a knowledge graph of NHS England's local partnerships and the policies behind them."""

__version__ = "0.1.0"

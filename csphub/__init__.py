"""csphub: the shared platform of a Community Safety Partnership."""

__version__ = "0.1.0"

"""The package version, read by hatchling and exported as ``aigc_magic.__version__``."""

__version__ = "0.1.0"

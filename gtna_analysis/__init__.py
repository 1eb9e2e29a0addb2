"""gtna-workbench: qualitative analysis of Gender Training Needs Assessment interviews."""

__version__ = "0.1.0"

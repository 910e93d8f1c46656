"""医保缴费向导: a wizard that guides people through paying China's basic medical insurance."""

__version__ = "0.1.0"

"""custops: a customer-operations quarterly review handbook.

Every computation of the notebooks lives in this package; the notebooks only call it.
"""

from custops.core.config import Period, ReportConfig, load_config

__all__ = ["Period", "ReportConfig", "load_config", "__version__"]
__version__ = "0.1.0"

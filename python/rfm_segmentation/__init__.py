"""rfm_segmentation: the Python side of the RFM segmentation project.

The dbt project at the repository root does the scoring; this package holds
the helpers around it.
"""

__version__ = "0.1.0"

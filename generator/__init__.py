"""missionpress: an organization's statement, from one content folder, into print.

The pipeline: content -> context -> template -> HTML -> PDF (WeasyPrint) / DOCX (python-docx).
"""

__version__ = "0.1.0"

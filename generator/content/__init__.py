"""Stage 1, inputs: content files, theme, languages, page sizes and fonts, loaded into validated models.

Every user mistake found here is a :class:`~generator.errors.MissionpressError` naming ``FILE:LINE``.
"""

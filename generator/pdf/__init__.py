"""Stage 4a, HTML -> PDF with WeasyPrint: tagged PDF/UA-1, print-shop variants, and page splicing for batches."""

"""Images: the Pillow pipeline that cleans uploads, and the stores that keep them."""

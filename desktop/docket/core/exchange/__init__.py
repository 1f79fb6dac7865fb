"""W3C Web Annotations back in."""

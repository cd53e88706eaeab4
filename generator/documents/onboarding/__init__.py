"""Onboarding packets: the roster, each person's file names, the packet's content, and the batch that builds them."""

"""Leads: a person who finished a self-screening and asked a study site to contact them."""

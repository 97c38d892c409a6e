"""What a supervisee may see and ask: their disclosures, receipts and subject access requests,
for the JSON API and the portal alike."""

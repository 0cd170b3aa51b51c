"""Pubwatch: a scheme's ban register, run the way the Information Commissioner's Office and National Pubwatch advise.

What this follows (the stored public sources consulted, December 2026):

- **The ICO's advice to business crime and Pubwatch schemes** (the letter of its lead policy officer, David Reynolds,
  to Action Against Business Crime, reported by the Morning Advertiser, "Pub photo-share warning", 7 June 2010):
  processing personal data to cut crime against businesses is legitimate, but names and pictures of excluded people
  must not be made public (the risk of mistaken identity, of harm and distress to someone wrongly identified, of a
  ban made "on the spur of the moment" without proof being unfair), word of mouth among members is enough, and
  keeping personal details of banned people indefinitely is "odd". So: the register is seen by the scheme's members
  and its coordinator only (``csphub.access.policy``: a closed membership, 404 to everyone else, the police
  included); nothing about a ban is on any page beyond them; a photo is kept only while the ban lasts and deleted
  when it ends (``services.lapse``, ``csphub pubwatch expire``); each ban has an end date, and ends.
- **National Pubwatch's Good Practice Guide and FAQ** (nationalpubwatch.org.uk): photos of banned people are for the
  members' staff only, never displayed publicly, and returned or destroyed when the ban ends; bans are decided by
  the members at a scheme meeting, minuted, with the reasons, a set length, a review and an appeal to the scheme;
  the excluded person is told in writing (the ban, its reasons, its length and how to appeal). Schemes that publish
  their procedure (e.g. Western Isles and West Conwy Pubwatch) do the same: a letter telling the person of the ban,
  the reasons and how to appeal; appeals heard by the scheme's committee, which may uphold, vary or lift the ban.
- **R (Boyle) v Haverhill Pubwatch [2009] EWHC 2441 (Admin)** and the Buckingham Pubwatch case (Court of Appeal,
  2008): a ban is the licensees' own decision as private businesses; where the police or the council suggest or
  decide bans, the scheme looks like a public body. So the decision records which member licensees decided, and
  only licensees may be recorded as deciding: a police officer the scheme admits is an adviser, who reads but does
  not decide, and the coordinator records and administers but does not decide.

Data minimisation: a ban holds the scheme's own minimal record of the excluded person (the name members know them
by and a short description to recognise them), not a copy of the partnership's register; a link to a register
person is optional and shown only to a viewer the access policy lets see that person.
"""

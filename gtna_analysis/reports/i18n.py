"""Every Georgian/English label of the reports in one place: section titles, chart titles and axis words, group
names, format names and the noun forms the narrative declines.

Georgian first: each entry gives the Georgian a native reader expects (case forms for nouns that follow
numerals, which take the singular in Georgian), English second. Templates hold the longer sentences.
"""

from __future__ import annotations

TITLES = {
    "profile": {"en": "Who was interviewed", "ka": "ვინ ჩავრთეთ კვლევაში"},
    "priorities": {"en": "Gender-equality priorities", "ka": "გენდერული თანასწორობის პრიორიტეტები"},
    "position": {"en": "Compared with other agencies", "ka": "შედარება სხვა უწყებებთან"},
    "training": {"en": "Recommended training module", "ka": "რეკომენდებული სასწავლო მოდული"},
    "quotes": {"en": "In their own words", "ka": "რესპონდენტების სიტყვებით"},
    "questions": {"en": "Answers by question", "ka": "პასუხები კითხვების მიხედვით"},
    "breakdown": {"en": "By interview mode, seniority and gender",
                  "ka": "ინტერვიუს ტიპის, თანამდებობის დონისა და სქესის მიხედვით"},
    "cooccurrence": {"en": "Themes raised together", "ka": "ერთად დასახელებული თემები"},
    "method": {"en": "Method and provenance", "ka": "მეთოდოლოგია და წყაროები"},
    "analysts_note": {"en": "Analyst's note", "ka": "ანალიტიკოსის შენიშვნა"},  # an agency memo (explore/memos.py)
}

CHART_TITLES = {
    "priorities_asked": {"en": "Themes named when asked about priorities ({questions})",
                         "ka": "პრიორიტეტების შესახებ კითხვაზე ({questions}) დასახელებული თემები"},
    "priorities_all": {"en": "Themes raised, by share of interviews", "ka": "თემები ინტერვიუების წილის მიხედვით"},
    "contrast": {"en": "Participants naming each theme as a priority: {agency} and the other agencies",
                 "ka": "რესპონდენტები, რომლებმაც თემა პრიორიტეტად დაასახელეს: {agency} და დანარჩენი უწყებები"},
    "comparison": {"en": "Participants naming each theme as a priority, by agency",
                   "ka": "რესპონდენტები, რომლებმაც თემა პრიორიტეტად დაასახელეს, უწყებების მიხედვით"},
    "format": {"en": "Preferred format (participants)", "ka": "სასურველი ფორმატი (რესპონდენტები)"},
    "duration": {"en": "Preferred duration per participant, all agencies",
                 "ka": "თითოეული რესპონდენტის სასურველი ხანგრძლივობა (ყველა უწყება)"},
    "breakdown": {"en": "Share of participants raising each theme, by group",
                  "ka": "თემის დამსახელებელი რესპონდენტების წილი ჯგუფების მიხედვით"},
    "cooccurrence": {"en": "Segments coded with both themes", "ka": "ფრაგმენტები, სადაც ორივე თემაა მონიშნული"},
}
REPORT_TITLES = {
    "cross": {"en": "GTNA: all agencies compared", "ka": "GTNA: უწყებების შედარება"},
    "cross_index": {"ka": "უწყებების შედარება", "en": "All agencies compared"},
    "study_fallback": {"ka": "GTNA", "en": "GTNA"},
}

GROUP_LABELS = {"ka": {"group": "ჯგუფური", "individual": "ინდივიდუალური", "junior": "უმცროსი", "mid": "საშუალო",
                      "senior": "უფროსი", "female": "ქალი", "male": "კაცი", "other": "სხვა", "unknown": "უცნობი"}}

# the groups a stated design is for (designs.scope), as "for …" in a tier line
SCOPE_LABELS = {
    "managers": {"ka": "ხელმძღვანელებისთვის", "en": "for managers"},
    "specialists": {"ka": "სპეციალისტებისთვის", "en": "for specialists"},
    "regional_staff": {"ka": "რეგიონული თანამშრომლებისთვის", "en": "for regional staff"},
    "new_staff": {"ka": "ახალი თანამშრომლებისთვის", "en": "for new staff"},
    "all_staff": {"ka": "ყველა თანამშრომლისთვის", "en": "for all staff"},
}

# what a supporting (secondary) mode is for (designs.support_purpose)
PURPOSE_LABELS = {
    "materials": {"ka": "მასალებისთვის", "en": "for materials"},
    "self-study": {"ka": "დამოუკიდებელი სწავლისთვის", "en": "for self-study"},
    "preparation": {"ka": "მოსამზადებლად", "en": "for preparation"},
    "test": {"ka": "ტესტისთვის", "en": "for a test"},
    "consultation": {"ka": "კონსულტაციებისთვის", "en": "for consultations"},
}

# periods to avoid (designs.avoid_periods)
PERIOD_LABELS = {
    "summer": {"ka": "ზაფხული", "en": "summer"},
    "budget season": {"ka": "ბიუჯეტის დაგეგმვის პერიოდი", "en": "budget season"},
    "end of year": {"ka": "წლის ბოლო", "en": "the end of the year"},
    "elections": {"ka": "არჩევნების პერიოდი", "en": "elections"},
}

# axis and legend words of the charts
CHART_WORDS = {
    "share_interviews": {"ka": "ინტერვიუების წილი", "en": "Share of interviews"},
    "share_participants": {"ka": "რესპონდენტების წილი", "en": "Share of participants"},
    "participants": {"ka": "რესპონდენტები", "en": "Participants"},
    "hours": {"ka": "საათი", "en": "Hours"},
    "in_person": {"ka": "პირისპირ", "en": "In person"},
    "online": {"ka": "ონლაინ", "en": "Online"},
    "blended": {"ka": "შერეული", "en": "Blended"},
    "segments": {"ka": "ფრაგმენტები", "en": "Segments"},
    "others": {"ka": "დანარჩენი უწყებები", "en": "Other agencies"},
}

LEXICON: dict[str, dict[str, object]] = {
    "interview": {"en": ("interview", "interviews"),
                  "ka": {"nom": "ინტერვიუ", "erg": "ინტერვიუმ", "dat": "ინტერვიუს", "gen": "ინტერვიუს",
                         "loc": "ინტერვიუში", "abl": "ინტერვიუდან"}},
    "participant": {"en": ("participant", "participants"),
                    "ka": {"nom": "რესპონდენტი", "erg": "რესპონდენტმა", "dat": "რესპონდენტს",
                           "gen": "რესპონდენტის", "loc": "რესპონდენტში",
                           "abl": "რესპონდენტიდან"}},
    "agency": {"en": ("agency", "agencies"),
               "ka": {"nom": "უწყება", "erg": "უწყებამ", "dat": "უწყებას", "gen": "უწყების", "loc": "უწყებაში",
                      "abl": "უწყებიდან"}},
    "hour": {"en": ("hour", "hours"),
             "ka": {"nom": "საათი", "erg": "საათმა", "dat": "საათს", "gen": "საათის", "loc": "საათში"}},
    "day": {"en": ("day", "days"),
            "ka": {"nom": "დღე", "erg": "დღემ", "dat": "დღეს", "gen": "დღის", "loc": "დღეში"}},
    "segment": {"en": ("coded passage", "coded passages"),
                "ka": {"nom": "მონიშნული ფრაგმენტი", "erg": "მონიშნულმა ფრაგმენტმა", "dat": "მონიშნულ ფრაგმენტს",
                       "gen": "მონიშნული ფრაგმენტის", "loc": "მონიშნულ ფრაგმენტში"}},
}
FORMAT_WORDS = {
    "in_person": {"en": "in-person training", "ka": "პირისპირ ტრენინგი", "ka_gen": "პირისპირ ტრენინგის"},
    "online": {"en": "online training", "ka": "ონლაინ ტრენინგი", "ka_gen": "ონლაინ ტრენინგის"},
    "blended": {"en": "blended training (online + in person)", "ka": "შერეული (ონლაინ + პირისპირ) ტრენინგი",
                "ka_gen": "შერეული (ონლაინ + პირისპირ) ტრენინგის"},
}

# transcription markers (canonical tags from ingest.clean) as each language writes them inside a quote
MARKER_WORDS = {
    "laughter": {"ka": "იცინის", "en": "laughter"},
    "inaudible": {"ka": "გაუგებარია", "en": "inaudible"},
    "crosstalk": {"ka": "ერთდროულად საუბრობენ", "en": "crosstalk"},
    "pause": {"ka": "პაუზა", "en": "pause"},
}

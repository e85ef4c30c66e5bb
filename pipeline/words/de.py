"""German: the words the program says and writes."""

from pipeline.words import (
    Locators,
    PageWords,
    PlayerWords,
    SpokenWords,
    StatementWords,
    SummaryWords,
    Words,
)

WORDS = Words(
    lang="de",
    page=PageWords(
        contents="Inhalt",
        landmarks="Orientierungspunkte",
        cover="Umschlag",
        notes="Anmerkungen",
        start="Textbeginn",
        cover_of="Umschlag von {title}",
        by="von {names}",
        and_="und",
        published_by="Verlag: {publisher}.",
        skip="Zum Hauptinhalt springen",
        code="Codebeispiel",
        table="Tabelle {n}",
        cited="Zitiert:",
        back_to_cite="Zurück zur Stelle, an der {work} zitiert wird, {n} von {total}",
        note="Anmerkung {n}",
        back_to_note="Zurück zu Anmerkung {n} im Text",
        back_to_note_ref="Zurück zu Verweis {k} auf Anmerkung {n} im Text",
        aut="Von",
        edt="Herausgegeben von",
        trl="Übersetzt von",
        ill="Illustriert von",
        nrt="Gelesen von",
        ctb="Mit Beiträgen von",
        with_="Mit",
    ),
    spoken=SpokenWords(
        and_="und",
        colleagues="und Kollegen",
        no_date="ohne Datum",
        to="bis",
        percent="Prozent",
        locators=Locators(
            page=("Seite", "Seiten"),
            pages=("Seiten", "Seiten"),
            chapter=("Kapitel", "Kapitel"),
            section=("Abschnitt", "Abschnitte"),
            paragraph=("Absatz", "Absätze"),
        ),
        figure="Abbildung",
        table="Tabelle",
        list_of="Eine Liste mit {n}",
        item="Eintrag",
        items="Einträgen",
        code="Ein Codebeispiel{language}, {lines}, nicht vorgelesen.",
        in_language="in {language}",
        lines="Zeilen",
        line="Zeile",
        quote="Zitat.",
        end_quote="Ende des Zitats.",
        note="Anmerkung",
        end_note="Ende der Anmerkung.",
        by="Von",
        published_by="Erschienen bei",
        entries="Einträge",
        entry="Eintrag",
        link="Link zu",
        doi="D O I",
        slash="Schrägstrich",
        dot="Punkt",
        volume="Band",
        issue="Heft",
        in_="In",
        retrieved="Abgerufen am",
        deleted="gestrichener Text:",
        image="Bild:",
        rows="Zeilen",
        row="Zeile",
        columns="Spalten",
        column="Spalte",
    ),
    player=PlayerWords(
        audio="Hörfassung dieses Textes",
        captions="Untertitel",
        chapters="Kapitel",
        download="Hörfassung herunterladen (MP3)",
        narration="Hörfassung:",
        captions_link="Untertitel (WebVTT)",
        follow="Der vorgelesenen Stelle folgen",
        listen_here="Ab hier anhören",
        listen_here_to="Ab hier anhören: {heading}",
        read_by="Gelesen von einer synthetischen Stimme: {engine} {voice}.",
    ),
    summary=SummaryWords(
        conformance="Diese Publikation erfüllt EPUB Accessibility 1.1 und"
        " WCAG {wcag} Stufe {level}, wie eine Person geprüft hat.",
        no_claim="Sie erhebt keinen Konformitätsanspruch: Noch hat keine Person sie nach"
        " EPUB Accessibility 1.1 geprüft.",
        navigation="Sie hat ein Inhaltsverzeichnis und {headings} zur strukturellen Navigation,"
        " und ihre Lesereihenfolge folgt dem Text.",
        contents_only="Sie hat ein Inhaltsverzeichnis; ihre Lesereihenfolge folgt dem Text.",
        images="Sie enthält {images}, {described}.",
        all_described="alle mit Textbeschreibung",
        some_described="{n} davon mit Textbeschreibung",
        no_images="Außer dem Umschlag, der eine Textbeschreibung hat, enthält sie keine Bilder.",
        has="Sie hat {extras}.",
        with_headers=" mit Kopfzellen",
        notes_linked="{notes}, die mit dem Text in beide Richtungen verlinkt sind",
        citations_linked="{citations}, die auf ein Verzeichnis mit {references} und zurück"
        " verlinken",
        narrated="Der gesamte Text einschließlich der Literatur wird von einer synthetischen"
        " Stimme vorgelesen, mit Media Overlays, die jede Passage beim Vorlesen hervorheben.",
        display="Text und Layout folgen den Schrift-, Größen- und Farbeinstellungen des"
        " Lesesystems.",
        no_hazards="Sie enthält keine Mathematik, kein Audio, kein Video und keine blinkenden"
        " Inhalte.",
        no_hazards_narrated="Sie enthält keine Mathematik, kein Video und keine blinkenden"
        " Inhalte.",
        must_see="Manche Bilder haben keine Textbeschreibung und müssen daher gesehen werden.",
        audiobook=(
            "Der ganze Text samt Literaturangaben wird von einer synthetischen Stimme"
            " gelesen, mit einem Inhaltsverzeichnis nach Kapiteln und Untertiteln für"
            " jeden Satz."
        ),
        heading=("Überschrift", "Überschriften"),
        image=("Bild", "Bilder"),
        table=("Tabelle", "Tabellen"),
        code_listing=("Codebeispiel", "Codebeispiele"),
        note=("Anmerkung", "Anmerkungen"),
        citation=("Quellenverweis", "Quellenverweise"),
        reference=("Literaturangabe", "Literaturangaben"),
    ),
    statement=StatementWords(
        title="Barrierefreiheit",
        ways="Lesemöglichkeiten",
        conformance="Konformität",
        navigation="Navigation",
        rich="Reichhaltige Inhalte",
        hazards="Gefahren",
        summary="Zusammenfassung der Barrierefreiheit",
        legal="Rechtliche Hinweise",
        more="Weitere Informationen zur Barrierefreiheit",
        modifiable=(
            "Die Darstellung ist anpassbar: Schriften, Größe und Farben folgen dem Lesesystem."
        ),
        read_aloud="Lesbar mit Vorlesefunktion oder dynamischer Braille.",
        not_read_aloud=(
            "Nicht vollständig lesbar mit Vorlesefunktion oder dynamischer Braille: Einige "
            "Bilder haben keine Textbeschreibung."
        ),
        synchronized="Vorab aufgenommenes Audio, mit dem Text synchronisiert.",
        meets=(
            "Diese Publikation erfüllt anerkannte Standards der Barrierefreiheit: EPUB "
            "Accessibility 1.1 und WCAG {wcag} Stufe {level}."
        ),
        certified="Geprüft von {certifier} am {date}.",
        credential="Qualifikation der prüfenden Stelle: {credential}.",
        report="Der Prüfbericht",
        no_claim=(
            "Keine Konformitätserklärung: Noch hat keine Person diese Publikation nach EPUB "
            "Accessibility 1.1 geprüft. Automatische Prüfungen sind keine Prüfung durch eine "
            "Person."
        ),
        toc="Inhaltsverzeichnis.",
        headings="Überschriften zur Navigation durch die Struktur.",
        alt_text="Bilder haben Textbeschreibungen.",
        missing_alt="Einige Bilder haben keine Textbeschreibung.",
        no_images="Außer dem Cover keine Bilder, Diagramme, Mathematik oder Chemie.",
        no_hazards="Keine Gefahren: kein Blitzen, keine Geräusche, keine Bewegungen.",
        hazard_list="Angegebene Gefahren: {hazards}.",
        exemption="Der Verlag erklärt eine Ausnahme vom European Accessibility Act: {reason}.",
        microenterprise="der Verlag ist ein Kleinstunternehmen",
        burden="die Anforderungen zu erfüllen wäre eine unverhältnismäßige Belastung",
        alteration="die Anforderungen zu erfüllen würde die Publikation grundlegend verändern",
        no_legal="Es ist keine Ausnahme erklärt.",
        contact="Ein Problem mit der Barrierefreiheit melden:",
    ),
)

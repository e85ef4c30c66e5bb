"""French: the words the program says and writes."""

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
    lang="fr",
    page=PageWords(
        contents="Table des matières",
        landmarks="Repères",
        cover="Couverture",
        notes="Notes",
        start="Début du texte",
        cover_of="Couverture de {title}",
        by="par {names}",
        and_="et",
        published_by="Publié par {publisher}.",
        skip="Aller au contenu principal",
        code="Exemple de code",
        table="Tableau {n}",
        cited="Cité\u00a0:",
        back_to_cite="Retour à la citation de {work}, {n} sur {total}",
        note="Note {n}",
        back_to_note="Retour à l’appel de la note {n}",
        back_to_note_ref="Retour à l’appel {k} de la note {n}",
        aut="Par",
        edt="Sous la direction de",
        trl="Traduit par",
        ill="Illustré par",
        nrt="Lu par",
        ctb="Avec des contributions de",
        with_="Avec",
    ),
    spoken=SpokenWords(
        and_="et",
        colleagues="et collaborateurs",
        no_date="sans date",
        to="à",
        percent="pour cent",
        locators=Locators(
            page=("page", "pages"),
            pages=("pages", "pages"),
            chapter=("chapitre", "chapitres"),
            section=("section", "sections"),
            paragraph=("paragraphe", "paragraphes"),
        ),
        figure="Figure",
        table="Tableau",
        list_of="Une liste de {n}",
        item="élément",
        items="éléments",
        code="Un exemple de code{language}, {lines}, non lu.",
        in_language="en {language}",
        lines="lignes",
        line="ligne",
        quote="Citation.",
        end_quote="Fin de citation.",
        note="Note",
        end_note="Fin de la note.",
        by="Par",
        published_by="Publié par",
        entries="références",
        entry="référence",
        link="lien vers",
        doi="D O I",
        slash="barre oblique",
        dot="point",
        volume="volume",
        issue="numéro",
        in_="Dans",
        retrieved="Consulté le",
        deleted="texte supprimé :",
        image="Image :",
        rows="lignes",
        row="ligne",
        columns="colonnes",
        column="colonne",
    ),
    player=PlayerWords(
        audio="Lecture à voix haute de ce texte",
        captions="Sous-titres",
        chapters="Chapitres",
        download="Télécharger la lecture (MP3)",
        narration="Lecture à voix haute\u00a0:",
        captions_link="sous-titres (WebVTT)",
        follow="Suivre le passage lu",
        listen_here="Écouter à partir d’ici",
        listen_here_to="Écouter à partir d’ici\u00a0: {heading}",
        read_by="Lu par une voix de synthèse\u00a0: {engine} {voice}.",
    ),
    summary=SummaryWords(
        conformance="Cette publication satisfait à EPUB Accessibility 1.1"
        " et aux WCAG {wcag}, niveau {level}, selon l’examen d’une personne.",
        no_claim="Elle ne déclare aucune conformité\u00a0: personne ne l’a encore examinée"
        " au regard d’EPUB Accessibility 1.1.",
        navigation="Elle comporte une table des matières et {headings} pour la navigation"
        " structurelle, et son ordre de lecture suit le texte.",
        contents_only="Elle comporte une table des matières\u00a0; son ordre de lecture suit"
        " le texte.",
        images="Elle contient {images}, {described}.",
        all_described="toutes avec une description textuelle",
        some_described="dont {n} avec une description textuelle",
        no_images="À part la couverture, qui a une description textuelle, elle ne contient"
        " pas d’images.",
        has="Elle comporte {extras}.",
        with_headers=" avec des cellules d’en-tête",
        notes_linked="{notes} reliées au texte dans les deux sens",
        citations_linked="{citations} qui renvoient à une liste de {references}, et retour",
        narrated="Tout le texte, références comprises, est lu par une voix de synthèse, avec"
        " des superpositions média qui surlignent chaque passage pendant sa lecture.",
        display="Le texte et la mise en page suivent les réglages de police, de taille et de"
        " couleur du système de lecture.",
        no_hazards="Elle ne contient ni mathématiques, ni audio, ni vidéo, ni contenu clignotant.",
        no_hazards_narrated="Elle ne contient ni mathématiques, ni vidéo, ni contenu clignotant.",
        must_see="Certaines images n’ont pas de description textuelle et doivent donc être vues.",
        audiobook=(
            "Tout le texte, références comprises, est lu par une voix de synthèse, avec"
            " une table des matières par chapitre et des sous-titres de chaque phrase."
        ),
        heading=("titre", "titres"),
        image=("image", "images"),
        table=("tableau", "tableaux"),
        code_listing=("exemple de code", "exemples de code"),
        note=("note", "notes"),
        citation=("citation", "citations"),
        reference=("référence bibliographique", "références bibliographiques"),
    ),
    statement=StatementWords(
        title="Accessibilité",
        ways="Modes de lecture",
        conformance="Conformité",
        navigation="Navigation",
        rich="Contenus riches",
        hazards="Risques",
        summary="Résumé d’accessibilité",
        legal="Informations légales",
        more="Informations complémentaires d’accessibilité",
        modifiable=(
            "L’apparence peut être modifiée\u00a0: polices, taille et couleurs suivent le "
            "système de lecture."
        ),
        read_aloud="Lisible en lecture à voix haute ou en braille dynamique.",
        not_read_aloud=(
            "Pas entièrement lisible en lecture à voix haute ou en braille dynamique\u00a0: "
            "des images n’ont pas de description textuelle."
        ),
        synchronized="Audio préenregistré synchronisé avec le texte.",
        meets=(
            "Cette publication satisfait aux normes d’accessibilité reconnues\u00a0: EPUB "
            "Accessibility 1.1 et WCAG {wcag}, niveau {level}."
        ),
        certified="Examinée par {certifier} le {date}.",
        credential="Qualification de l’examinateur\u00a0: {credential}.",
        report="Le rapport d’examen",
        no_claim=(
            "Aucune déclaration de conformité\u00a0: personne n’a encore examiné cette "
            "publication au regard d’EPUB Accessibility 1.1. Les vérifications automatiques "
            "ne sont pas un examen."
        ),
        toc="Table des matières.",
        headings="Titres pour naviguer dans la structure.",
        alt_text="Les images ont une description textuelle.",
        missing_alt="Des images n’ont pas de description textuelle.",
        no_images="Ni images, ni graphiques, ni mathématiques, ni chimie, hormis la couverture.",
        no_hazards="Aucun risque\u00a0: ni clignotement, ni son, ni mouvement dangereux.",
        hazard_list="Risques déclarés\u00a0: {hazards}.",
        exemption=(
            "L’éditeur déclare une exemption à l’acte européen sur l’accessibilité\u00a0: {reason}."
        ),
        microenterprise="l’éditeur est une microentreprise",
        burden="satisfaire aux exigences imposerait une charge disproportionnée",
        alteration="satisfaire aux exigences modifierait fondamentalement la publication",
        no_legal="Aucune exemption n’est déclarée.",
        contact="Pour signaler un problème d’accessibilité\u00a0:",
    ),
)

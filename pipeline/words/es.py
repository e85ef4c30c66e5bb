"""Spanish: the words the program says and writes."""

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
    lang="es",
    page=PageWords(
        contents="Índice",
        landmarks="Puntos de referencia",
        cover="Cubierta",
        notes="Notas",
        start="Comienzo del texto",
        cover_of="Cubierta de {title}",
        by="de {names}",
        and_="y",
        published_by="Publicado por {publisher}.",
        skip="Saltar al contenido principal",
        code="Ejemplo de código",
        table="Tabla {n}",
        cited="Citado:",
        back_to_cite="Volver a donde se cita {work}, {n} de {total}",
        note="Nota {n}",
        back_to_note="Volver a la nota {n} en el texto",
        back_to_note_ref="Volver a la referencia {k} de la nota {n} en el texto",
        aut="Por",
        edt="Edición de",
        trl="Traducción de",
        ill="Ilustraciones de",
        nrt="Narrado por",
        ctb="Con contribuciones de",
        with_="Con",
    ),
    spoken=SpokenWords(
        and_="y",
        colleagues="y colaboradores",
        no_date="sin fecha",
        to="a",
        percent="por ciento",
        locators=Locators(
            page=("página", "páginas"),
            pages=("páginas", "páginas"),
            chapter=("capítulo", "capítulos"),
            section=("sección", "secciones"),
            paragraph=("párrafo", "párrafos"),
        ),
        figure="Figura",
        table="Tabla",
        list_of="Una lista de {n}",
        item="elemento",
        items="elementos",
        code="Un ejemplo de código{language}, {lines}, que no se lee en voz alta.",
        in_language="en {language}",
        lines="líneas",
        line="línea",
        quote="Cita.",
        end_quote="Fin de la cita.",
        note="Nota",
        end_note="Fin de la nota.",
        by="Por",
        published_by="Publicado por",
        entries="referencias",
        entry="referencia",
        link="enlace a",
        doi="D O I",
        slash="barra",
        dot="punto",
        volume="volumen",
        issue="número",
        in_="En",
        retrieved="Consultado el",
        deleted="texto tachado:",
        image="Imagen:",
        rows="filas",
        row="fila",
        columns="columnas",
        column="columna",
    ),
    player=PlayerWords(
        audio="Narración de este texto",
        captions="Subtítulos",
        chapters="Capítulos",
        download="Descargar la narración (MP3)",
        narration="Narración:",
        captions_link="subtítulos (WebVTT)",
        follow="Seguir el pasaje que se lee",
        listen_here="Escuchar desde aquí",
        listen_here_to="Escuchar desde aquí: {heading}",
        read_by="Leído por una voz sintética: {engine} {voice}.",
    ),
    summary=SummaryWords(
        conformance="Esta publicación cumple EPUB Accessibility 1.1 y WCAG {wcag},"
        " nivel {level}, según la revisión de una persona.",
        no_claim="No declara conformidad: ninguna persona la ha revisado todavía según"
        " EPUB Accessibility 1.1.",
        navigation="Tiene un índice y {headings} para la navegación estructural, y su orden de"
        " lectura sigue el texto.",
        contents_only="Tiene un índice; su orden de lectura sigue el texto.",
        images="Contiene {images}, {described}.",
        all_described="todas con descripción textual",
        some_described="{n} con descripción textual",
        no_images="Aparte de la cubierta, que tiene una descripción textual, no tiene imágenes.",
        has="Tiene {extras}.",
        with_headers=" con celdas de encabezado",
        notes_linked="{notes} enlazadas con el texto en ambos sentidos",
        citations_linked="{citations} que enlazan con una lista de {references}, y de vuelta",
        narrated="Todo el texto, incluidas las referencias, lo narra una voz sintética, con"
        " superposiciones multimedia que resaltan cada pasaje mientras se lee.",
        display="El texto y la maquetación siguen los ajustes de fuente, tamaño y color del"
        " sistema de lectura.",
        no_hazards="No contiene matemáticas, audio, vídeo ni contenido parpadeante.",
        no_hazards_narrated="No contiene matemáticas, vídeo ni contenido parpadeante.",
        must_see="Algunas imágenes no tienen descripción textual, así que hay que verlas.",
        audiobook=(
            "Todo el texto, referencias incluidas, lo lee una voz sintética, con un"
            " índice por capítulo y subtítulos de cada frase."
        ),
        heading=("encabezado", "encabezados"),
        image=("imagen", "imágenes"),
        table=("tabla", "tablas"),
        code_listing=("listado de código", "listados de código"),
        note=("nota", "notas"),
        citation=("cita", "citas"),
        reference=("referencia", "referencias"),
    ),
    statement=StatementWords(
        title="Accesibilidad",
        ways="Formas de lectura",
        conformance="Conformidad",
        navigation="Navegación",
        rich="Contenido enriquecido",
        hazards="Riesgos",
        summary="Resumen de accesibilidad",
        legal="Consideraciones legales",
        more="Información adicional de accesibilidad",
        modifiable=(
            "La apariencia se puede modificar: las fuentes, el tamaño y los colores siguen el"
            " sistema de lectura."
        ),
        read_aloud="Legible con lectura en voz alta o braille dinámico.",
        not_read_aloud=(
            "No del todo legible con lectura en voz alta o braille dinámico: algunas imágenes"
            " no tienen descripción textual."
        ),
        synchronized="Audio pregrabado sincronizado con el texto.",
        meets=(
            "Esta publicación cumple normas de accesibilidad reconocidas: EPUB Accessibility "
            "1.1 y WCAG {wcag}, nivel {level}."
        ),
        certified="Revisada por {certifier} el {date}.",
        credential="Acreditación de quien la revisó: {credential}.",
        report="El informe de la revisión",
        no_claim=(
            "Sin declaración de conformidad: ninguna persona ha revisado todavía esta "
            "publicación según EPUB Accessibility 1.1. Las comprobaciones automáticas no son "
            "una revisión."
        ),
        toc="Índice.",
        headings="Encabezados para navegar por la estructura.",
        alt_text="Las imágenes tienen descripción textual.",
        missing_alt="Algunas imágenes no tienen descripción textual.",
        no_images="Sin imágenes, gráficos, matemáticas ni química, salvo la cubierta.",
        no_hazards="Sin riesgos: ni destellos, ni sonidos, ni movimientos peligrosos.",
        hazard_list="Riesgos declarados: {hazards}.",
        exemption=(
            "La editorial declara una exención de la Ley Europea de Accesibilidad: {reason}."
        ),
        microenterprise="la editorial es una microempresa",
        burden="cumplir los requisitos supondría una carga desproporcionada",
        alteration="cumplir los requisitos alteraría de forma fundamental la publicación",
        no_legal="No se declara ninguna exención.",
        contact="Para informar de un problema de accesibilidad:",
    ),
)

# Chapters 1 and 2 of Pride and Prejudice (janeaustenr's prideprejudice, Project Gutenberg text),
# one sequence per paragraph, as lower-case letters a-z and "_" for a space.
library(janeaustenr)
x <- prideprejudice
chapters <- grep("^Chapter [0-9]+$", x)
body <- x[(chapters[1] + 1):(chapters[3] - 1)]           # the lines of chapters 1 and 2
body <- body[!grepl("^Chapter [0-9]+$", body)]
para <- cumsum(body == "")                               # an empty line ends a paragraph
texts <- tapply(body, para, function(l) paste(l[l != ""], collapse = " "))
texts <- texts[nchar(texts) > 0]
clean <- function(s) {
  s <- tolower(s)
  s <- gsub("['_]", "", s)                               # apostrophes and the _emphasis_ marks
  s <- gsub("[^a-z]+", " ", s)                            # anything else separates words
  trimws(s)
}
texts <- unname(vapply(texts, clean, ""))
texts <- texts[nchar(texts) > 0]
symbols <- c(letters, "_")
q <- function(v) paste0("\"", v, "\"", collapse = ", ")
con <- file("austen.json", "w")
writeLines(c("{", "  \"observationType\" : \"symbols\",",
  "  \"provenance\" : {",
  "    \"source\" : \"Jane Austen, Pride and Prejudice (1813), chapters 1 and 2, one sequence per paragraph; text of Project Gutenberg as shipped in Debian's r-cran-janeaustenr 1.0.0-1 (prideprejudice)\",",
  "    \"licence\" : \"public domain (the novel); the package is MIT-licensed\",",
  "    \"transform\" : \"lower-cased; apostrophes and underscores removed; every other run of non-letters is one space, written _; paragraphs trimmed\"",
  "  },",
  paste0("  \"symbols\" : [ ", q(symbols), " ],"),
  "  \"sequences\" : ["), con)
for (i in seq_along(texts)) {
  ch <- strsplit(texts[i], "")[[1]]
  ch[ch == " "] <- "_"
  writeLines(paste0("    { \"id\" : \"p", i, "\", \"observations\" : [ ", q(ch), " ] }",
                    if (i < length(texts)) "," else ""), con)
}
writeLines(c("  ]", "}"), con)
close(con)
cat(length(texts), "paragraphs,", sum(nchar(texts)), "characters\n")
cat(texts[1], "\n")

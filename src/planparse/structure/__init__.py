"""Structure: the table of contents, headings, front matter, paragraphs and blocks of a document.

``grammar`` knows the labels (第X篇/章/节, 一、 （一） 1. （1）, named entries such as 序言);
``toc`` reads the 目录 as a sequence of entries; ``front`` reads title, issuer and date;
``headings`` finds the body's headings and aligns them with the TOC; ``segment`` assembles the
skeleton (paragraphs, boxes, figures, tables) under them.
"""

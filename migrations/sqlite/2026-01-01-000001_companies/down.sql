DROP TABLE company_aliases;
DROP TABLE companies;

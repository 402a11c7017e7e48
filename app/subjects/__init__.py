"""Subject areas (lĩnh vực): the national list every petition and case is classified by."""

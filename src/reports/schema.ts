import { z } from "zod";
import { rangeQuery } from "./range";
import { GROUP_BY } from "./types";

/** GET /api/report and the report page read the same query. */
export const reportQuery = rangeQuery.extend({ groupBy: z.enum(GROUP_BY).default("campaign") });

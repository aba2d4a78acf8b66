{#-
    rfm_segment: THE segment rules. This is the one place to edit them.

    Inputs are two scores on a 1..5 scale:
      r  = the recency score   (5 = bought most recently)
      fm = the frequency-monetary score, round-half-up((F + M) / 2)
    With rfm_score_bins other than 5, both are first mapped to 1..5 (see
    rfm_score_to_quintile), so these rules hold for any bin count.

    The default grid (rows R, columns FM):

        R \ FM |  1               2                    3                    4                  5
        -------+--------------------------------------------------------------------------------------------
          5    |  New Customers   Potential Loyalists  Potential Loyalists  Champions          Champions
          4    |  Promising       Potential Loyalists  Potential Loyalists  Champions          Champions
          3    |  About To Sleep  About To Sleep       Need Attention       Loyal Customers    Loyal Customers
          2    |  Hibernating     Hibernating          At Risk              At Risk            Cannot Lose Them
          1    |  Lost            Lost                 At Risk              Cannot Lose Them   Cannot Lose Them

    To change the rules:
      1. Edit the WHEN lines below. They are read top to bottom and the first
         match wins; keep the final ELSE so a gap is caught by the tests.
      2. A new segment name must also be added to seeds/segment_catalogue.csv
         (description, action, colour, sort order): a relationships test fails
         the build otherwise.
      3. Update the expected rows of the unit test `every_score_cell_maps_to_its_segment`
         in models/marts/fct_customer_rfm.yml, then run `dbt build`.
-#}
{% macro rfm_segment(r, fm) -%}
    case
        when {{ r }} >= 4 and {{ fm }} >= 4              then 'Champions'
        when {{ r }} = 5  and {{ fm }} = 1               then 'New Customers'
        when {{ r }} = 4  and {{ fm }} = 1               then 'Promising'
        when {{ r }} >= 4 and {{ fm }} between 2 and 3   then 'Potential Loyalists'
        when {{ r }} = 3  and {{ fm }} >= 4              then 'Loyal Customers'
        when {{ r }} = 3  and {{ fm }} = 3               then 'Need Attention'
        when {{ r }} = 3  and {{ fm }} <= 2              then 'About To Sleep'
        when {{ r }} = 2  and {{ fm }} = 5               then 'Cannot Lose Them'
        when {{ r }} = 1  and {{ fm }} >= 4              then 'Cannot Lose Them'
        when {{ r }} <= 2 and {{ fm }} >= 3              then 'At Risk'
        when {{ r }} = 2  and {{ fm }} <= 2              then 'Hibernating'
        when {{ r }} = 1  and {{ fm }} <= 2              then 'Lost'
        else 'Unclassified'
    end
{%- endmacro %}

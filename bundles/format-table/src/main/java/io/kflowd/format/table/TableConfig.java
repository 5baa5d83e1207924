package io.kflowd.format.table;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The table's part of the output configuration (PID {@code io.kflowd.output}). */
@ObjectClassDefinition(name = "kflowd table output", description = "How -o table lays out its rows")
@interface TableConfig {

    @AttributeDefinition(name = "Table width", type = AttributeType.INTEGER, min = "80",
            description = "Terminal columns the rows must fit: 160 and more gives every column, "
                    + "80 to 159 the 80-column set; less than 80 counts as 80")
    int table_width() default TableFormatter.WIDE;
}

package io.orderbooks.replay;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the export back with parquet-java's own file reader (independent of DuckDB, which wrote it): the schema of
 * each file, and every row as a map of typed values (decimals as BigDecimal, timestamps as epoch µs), with the Hive
 * partition {@code date} taken from the path.
 */
final class ParquetRead {
    record Table(List<MessageType> schemas, List<Map<String, Object>> rows, List<String> files) {}

    private ParquetRead() {}

    static Table read(Path out) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
        List<MessageType> schemas = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(out.relativize(f).toString().replace('\\', '/'));
            String date = f.getParent().getFileName().toString();
            try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
                MessageType schema = r.getFooter().getFileMetaData().getSchema();
                schemas.add(schema);
                PageReadStore pages;
                while ((pages = r.readNextRowGroup()) != null) {
                    RecordReader<Group> rr = new ColumnIOFactory()
                            .getColumnIO(schema)
                            .getRecordReader(pages, new GroupRecordConverter(schema));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        Group g = rr.read();
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (Type t : schema.getFields()) {
                            row.put(t.getName(), value(g, t.asPrimitiveType()));
                        }
                        row.put("date", date.substring("date=".length()));
                        rows.add(row);
                    }
                }
            }
        }
        return new Table(schemas, rows, names);
    }

    private static Object value(Group g, PrimitiveType t) {
        String name = t.getName();
        if (g.getFieldRepetitionCount(name) == 0) {
            return null;
        }
        LogicalTypeAnnotation lt = t.getLogicalTypeAnnotation();
        return switch (t.getPrimitiveTypeName()) {
            case BOOLEAN -> g.getBoolean(name, 0);
            case INT64 ->
                lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d
                        ? BigDecimal.valueOf(g.getLong(name, 0), d.getScale())
                        : (Object) g.getLong(name, 0);
            case INT32 ->
                lt instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d
                        ? BigDecimal.valueOf(g.getInteger(name, 0), d.getScale())
                        : (Object) g.getInteger(name, 0);
            case BINARY -> g.getString(name, 0);
            default -> throw new IllegalStateException("unexpected type " + t);
        };
    }
}
